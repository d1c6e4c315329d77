/* Script de l'application, servi par elle (aucun script en ligne : la politique de sécurité du contenu les refuse).
   Chaque page fonctionne sans lui ; il ne fait qu'ajouter des confirmations.

   data-confirmer="Message ?" sur un formulaire (ou sur le bouton qui l'envoie) : le navigateur demande
   confirmation avant l'envoi ; « Annuler » n'envoie rien. */
"use strict";

document.addEventListener("submit", function (evenement) {
  var bouton = evenement.submitter;
  var message = (bouton && bouton.dataset.confirmer) || evenement.target.dataset.confirmer;
  if (message && !window.confirm(message)) {
    evenement.preventDefault();
  }
});
