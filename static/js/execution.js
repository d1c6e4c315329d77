/* La grille d'exécution d'une année : les sous-totaux par axe et le total du contrat (engagé, réalisé, taux) suivent
   la saisie, en direct. Une somme sans aucune cellule saisie reste « non saisi » (jamais 0 €) ; une cellule illisible
   la rend « à corriger ». Le serveur recalcule tout à l'enregistrement (finances/selectors.py) ; sans JavaScript,
   les totaux sont ceux du dernier enregistrement. Lecture des nombres : static/js/nombres.js. */
(function () {
  "use strict";
  var grille = document.querySelector("form[data-grille-execution]");
  if (!grille || !window.nombresFr) { return; }
  var nf = window.nombresFr;

  function pourcentage(taux) {
    return (Math.round(taux * 1000) / 10).toLocaleString("fr-FR") + "\u00a0%";
  }

  function lireLigne(ligne) {
    var engage = ligne.querySelector("input[data-somme=engage]");
    var realise = ligne.querySelector("input[data-somme=realise]");
    var e = engage ? engage.value.trim() : "";
    var r = realise ? realise.value.trim() : "";
    return {
      axe: ligne.dataset.axe,
      prevu: parseFloat(ligne.dataset.prevu || "0"),
      vide: e === "" && r === "",
      engage: e === "" ? 0 : nf.lire(e),
      realise: r === "" ? 0 : nf.lire(r),
      complete: e !== "" && r !== ""
    };
  }

  function afficher(cellules, sommes) {
    cellules.forEach(function (cellule) {
      var champ = cellule.dataset.total;
      var texte;
      if (sommes.illisible) {
        texte = "à corriger";
      } else if (!sommes.saisies) {
        texte = "non saisi";
      } else if (champ === "taux") {
        texte = sommes.prevuSaisi > 0 ? pourcentage(sommes.realise / sommes.prevuSaisi) : "—";
      } else {
        texte = nf.euros(sommes[champ]);
      }
      cellule.textContent = texte;
    });
  }

  function recalculer() {
    var parAxe = {};
    var total = { engage: 0, realise: 0, prevuSaisi: 0, saisies: 0, illisible: false };
    grille.querySelectorAll("tr[data-prevu]").forEach(function (ligne) {
      var l = lireLigne(ligne);
      var axe = parAxe[l.axe] || (parAxe[l.axe] = { engage: 0, realise: 0, prevuSaisi: 0, saisies: 0, illisible: false });
      [axe, total].forEach(function (s) {
        if (l.vide) { return; }
        if (l.engage === null || l.realise === null) { s.illisible = true; return; }
        s.engage += l.engage;
        s.realise += l.realise;
        if (l.complete) { s.saisies += 1; s.prevuSaisi += l.prevu; }
      });
    });
    Object.keys(parAxe).forEach(function (cle) {
      afficher(grille.querySelectorAll("[data-total][data-axe='" + cle + "']"), parAxe[cle]);
    });
    afficher(grille.querySelectorAll("[data-total]:not([data-axe])"), total);
  }
  grille.addEventListener("input", recalculer);
  grille.addEventListener("change", recalculer);
})();
