"""Un constat de cohérence : la règle enfreinte, sa gravité, et les passages qui se contredisent, cités.

Gravités : « erreur », les données se contredisent elles-mêmes (une somme fausse, une liste annoncée de N éléments
qui en a M) ; « à vérifier », le texte et les données divergent (un titre, une tranche d'âge, un montant écrit) ;
« information », ce qu'il est utile de savoir sans que rien ne soit faux.

La clé d'un constat (règle, lieu, sujet) reste la même quand les données changent ; son empreinte (ce qu'il cite)
change avec elles : c'est elle qu'un examen retient."""

import hashlib
from dataclasses import dataclass, field

ERREUR = "erreur"
A_VERIFIER = "a_verifier"
INFORMATION = "information"
GRAVITES = {
    ERREUR: "Erreur",
    A_VERIFIER: "À vérifier",
    INFORMATION: "Information",
}
DEFINITIONS = {
    ERREUR: "les données se contredisent",
    A_VERIFIER: "le texte et les données divergent",
    INFORMATION: "à savoir, rien n'y est faux",
}


@dataclass(frozen=True)
class Preuve:
    """Un passage cité : le document, l'endroit (article, fiche, tableau, bilan) et le texte ou les chiffres."""

    document: str
    lieu: str
    citation: str
    url: str = ""


@dataclass(frozen=True)
class Constat:
    regle: str
    gravite: str
    lieu: str
    message: str
    preuves: tuple[Preuve, ...] = ()
    sujet: str = ""
    url: str = ""
    contrats: tuple[str, ...] = field(default=())

    @property
    def gravite_libelle(self) -> str:
        return GRAVITES[self.gravite]

    @property
    def cle(self) -> str:
        cle = f"{self.regle}|{self.lieu}|{self.sujet}"
        return cle if len(cle) <= 255 else f"{self.regle}|{hashlib.sha256(cle.encode()).hexdigest()}"

    @property
    def empreinte(self) -> str:
        contenu = [self.message, *(f"{p.document}|{p.lieu}|{p.citation}" for p in self.preuves)]
        return hashlib.sha256("\n".join(contenu).encode()).hexdigest()
