"""Les fichiers envoyés par un formulaire, refusés dès qu'ils dépassent la limite de leur page, pas après réception.

Chaque vue qui reçoit un fichier déclare sa limite (`@televersement_limite(octets, quoi="document")`) ; une page qui
n'en déclare pas a celle d'un document (DJANGO_DOCUMENTS_TAILLE_MAX_MO). Le gestionnaire de téléversement
`LimiteHandler`, premier de FILE_UPLOAD_HANDLERS, la lit à l'adresse de la requête, avant que le corps ne soit lu :

- si la longueur annoncée de la requête dépasse la limite plus la marge des champs du formulaire (au plus
  DATA_UPLOAD_MAX_MEMORY_SIZE, au-delà Django refuse la requête), le fichier est refusé avant son premier octet :
  aucun autre gestionnaire ne l'ouvre, rien n'est gardé en mémoire ni écrit sur le disque ;
- sinon ses octets sont comptés au passage, et le fichier est refusé au premier qui dépasse la limite : ce qui a
  déjà été reçu est jeté (fichier temporaire effacé), la suite n'est plus transmise.

Le reste de la requête est lu sans être gardé, pour que le navigateur reçoive la page (arrêter la lecture, ce que
fait `StopUpload(connection_reset=True)`, lui ferait afficher « connexion interrompue » au lieu du message). À la
place du fichier, le formulaire reçoit un `TeleversementRefuse`, que `commun.forms.FichierEnvoyeField` refuse avec
son message : la page est ré-affichée, en français, sans que rien n'ait été écrit. Un `forms.FileField` ordinaire le
refuse aussi (« aucun fichier n'a été soumis »), jamais ne l'enregistre.

Le mandataire inverse peut borner en plus la taille d'une requête (`client_max_body_size` de nginx) : au-delà, c'est
sa propre page d'erreur qui répond."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.urls import Resolver404, resolve

from commun.formats import nombre

ENTETES = 64 * 1024  # les en-têtes des parties du corps multipart, que DATA_UPLOAD_MAX_MEMORY_SIZE ne compte pas


@dataclass(frozen=True)
class Limite:
    octets: int | Callable[[], int]  # une fonction quand la limite est un réglage, lu à chaque requête
    quoi: str  # « la taille maximale d'un {quoi} »

    def valeur(self) -> int:
        return self.octets() if callable(self.octets) else self.octets


def _taille_max_d_un_document() -> int:
    return settings.DOCUMENTS_TAILLE_MAX_MO * 1024 * 1024


PAR_DEFAUT = Limite(_taille_max_d_un_document, "fichier")


def televersement_limite(octets: int | Callable[[], int], *, quoi: str):
    """Décorateur d'une vue qui reçoit des fichiers : la taille maximale de chacun, en octets (ou la fonction qui la
    donne), et ce qu'est le fichier pour le message (« document », « classeur importé »)."""

    def decorer(vue):
        vue.televersement_limite = Limite(octets, quoi)
        return vue

    return decorer


def limite_de_la_requete(request) -> Limite:
    try:
        vue = resolve(request.path_info, getattr(request, "urlconf", None)).func
    except Resolver404:
        return PAR_DEFAUT
    return getattr(vue, "televersement_limite", PAR_DEFAUT)


def mo(octets: int) -> str:
    return f"{nombre(Decimal(octets) / (1024 * 1024))} Mo"


class TeleversementRefuse:
    """Tient la place d'un fichier refusé dans request.FILES. Ni `name` ni `size` : un FileField ordinaire le
    refuse comme « aucun fichier reçu », aucun code ne peut le prendre pour un fichier et l'enregistrer."""

    def __init__(self, *, nom: str, limite: int, quoi: str):
        self.nom = nom
        self.message = f"« {nom} » pèse plus de {mo(limite)} : la taille maximale d'un {quoi} est de {mo(limite)}."

    def __repr__(self):
        return f"<TeleversementRefuse {self.nom!r}>"

    def close(self):
        """Appelé par Django sur chaque fichier reçu à la fin de la requête : rien à fermer."""


class LimiteHandler(FileUploadHandler):
    """Refuse chaque fichier de la requête qui dépasse la limite de la page ; laisse les gestionnaires suivants
    (mémoire, fichier temporaire) recevoir les autres."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        limite = limite_de_la_requete(self.request)
        self.octets_max, self.quoi = limite.valeur(), limite.quoi
        marge = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # Sans plafond des champs (réglage à None), la longueur de la requête ne dit rien du fichier.
        self.trop_long = marge is not None and content_length > self.octets_max + marge + ENTETES
        return None  # la lecture du corps reste celle de Django

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.recus = 0
        self.refus = None
        if self.trop_long:
            self._refuser()
            raise StopFutureHandlers  # aucun autre gestionnaire n'ouvre ce fichier : rien n'est gardé ni écrit

    def receive_data_chunk(self, raw_data, start):
        if self.refus is not None:
            return None  # la suite du fichier est lue (pour répondre) et jetée
        self.recus += len(raw_data)
        if self.recus > self.octets_max:
            self._refuser()
            self._jeter_le_debut()
            return None
        return raw_data

    def file_complete(self, file_size):
        return self.refus  # None : le fichier accepté est rendu par le gestionnaire suivant

    def _refuser(self):
        self.refus = TeleversementRefuse(nom=self.file_name, limite=self.octets_max, quoi=self.quoi)

    def _jeter_le_debut(self):
        """Ferme ce que les gestionnaires suivants ont reçu de ce fichier : la mémoire est rendue, le fichier
        temporaire effacé (comme le fait Django quand un téléversement est interrompu)."""
        for gestionnaire in self.request.upload_handlers:
            if gestionnaire is not self and hasattr(gestionnaire, "file"):
                gestionnaire.file.close()
