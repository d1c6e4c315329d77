"""L'utilisateur de chaque requête, lu avec son profil et son organisation en une seule requête.

Chaque page lit le rôle et l'organisation de la personne connectée (droits, barre de navigation) : sans cette
jointure, deux requêtes de plus sur chaque page (le profil, puis l'organisation)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ProfilBackend(ModelBackend):
    def get_user(self, user_id):
        modele = get_user_model()
        try:
            user = modele._default_manager.select_related("profil__organisation").get(pk=user_id)
        except modele.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
