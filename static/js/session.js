/* Délai d'inactivité de la session (réglages : DJANGO_SESSION_INACTIVITE_MINUTES).

   Deux minutes avant l'expiration, la page demande au serveur le temps qui reste vraiment (une autre page a pu
   prolonger la session) ; s'il reste moins de deux minutes, elle affiche l'avertissement et son bouton
   « Prolonger la session », qui prolonge la session sans quitter la page ni toucher aux saisies. Après
   l'expiration, elle le dit : un formulaire envoyé alors n'est pas perdu, il sera proposé de nouveau après la
   reconnexion (comptes/middleware.py). Sans JavaScript, rien ne change : la session expire et les saisies envoyées
   sont gardées de la même façon. */
"use strict";

(function () {
  var corps = document.body;
  var url = corps.dataset.sessionUrl;
  var alerte = document.getElementById("session-alerte");
  var formulaire = document.getElementById("session-prolonger");
  if (!url || !alerte || !formulaire) {
    return;
  }
  var texte = document.getElementById("session-alerte-texte");
  var AVANCE = 120; // secondes
  var minuterie = null;
  var fin = 0; // instant (ms) de l'expiration attendue

  function restant() {
    return Math.max(0, Math.round((fin - Date.now()) / 1000));
  }

  function planifier(secondes) {
    fin = Date.now() + secondes * 1000;
    window.clearTimeout(minuterie);
    minuterie = window.setTimeout(verifier, Math.max(0, secondes - AVANCE) * 1000);
  }

  function ecrire(message) {
    // Le texte n'est réécrit que s'il change : l'alerte est lue par les lecteurs d'écran à chaque changement.
    if (texte.textContent !== message) {
      texte.textContent = message;
    }
  }

  function afficher() {
    var secondes = restant();
    alerte.hidden = false;
    window.clearTimeout(minuterie);
    if (secondes <= 0) {
      formulaire.hidden = true;
      ecrire("Votre session a expiré faute d'activité. Vos saisies ne sont pas perdues : en enregistrant, vous " +
        "serez invité à vous reconnecter, puis à renvoyer ce que vous aviez saisi.");
      return;
    }
    var minutes = Math.ceil(secondes / 60);
    formulaire.hidden = false;
    ecrire("Votre session expire dans moins de " + (minutes > 1 ? minutes + " minutes" : "une minute") +
      " faute d'activité. Vos saisies en cours ne seront pas perdues.");
    minuterie = window.setTimeout(afficher, 5000);
  }

  function verifier() {
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (reponse) { return reponse.json(); })
      .then(function (donnees) {
        if (donnees.restant > AVANCE) {
          alerte.hidden = true;
          planifier(donnees.restant);
        } else {
          fin = Date.now() + donnees.restant * 1000;
          afficher();
        }
      })
      .catch(function () {
        afficher();
      });
  }

  formulaire.addEventListener("submit", function (evenement) {
    evenement.preventDefault();
    window.fetch(url, { method: "POST", credentials: "same-origin", body: new FormData(formulaire),
      headers: { Accept: "application/json" } })
      .then(function (reponse) { return reponse.json(); })
      .then(function (donnees) {
        window.clearTimeout(minuterie);
        if (donnees.restant > 0) {
          alerte.hidden = true;
          planifier(donnees.restant);
        } else {
          fin = Date.now();
          afficher();
        }
      });
  });

  planifier(parseInt(corps.dataset.sessionRestant, 10) || 0);
})();
