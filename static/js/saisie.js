/* La grille de saisie : rien de tapé ne se perd, ce qui manque se voit.
   - avertit avant de quitter la page avec des changements non enregistrés ;
   - compte en direct la complétude (grille des indicateurs) et signale les valeurs très éloignées de leur cible ou de l'an passé (les mêmes
     règles que le serveur, qui les applique de nouveau : indicateurs/controles_saisie.py) ;
   - après un enregistrement, remet le curseur là où il était.
   Amélioration progressive : sans JavaScript, la grille fonctionne de même. */
(function () {
  "use strict";
  var grille = document.querySelector("form[data-garde-saisie]");
  if (!grille) { return; }
  var modifiee = false;
  var etat = document.querySelector("[data-etat-saisie]");
  var CLE_FOCUS = "saisie-focus:" + location.pathname;

  function champsDeLaGrille() {
    return Array.prototype.filter.call(grille.elements, function (e) { return e.form === grille && e.name; });
  }
  function marquer(ev) {
    // Un champ placé dans la grille mais rattaché à un autre formulaire (commentaire du fil) ne la modifie pas.
    if (ev && ev.target && ev.target.form !== grille) { return; }
    modifiee = true;
    if (etat) { etat.textContent = "Modifications non enregistrées."; }
  }
  grille.addEventListener("input", marquer);
  grille.addEventListener("change", marquer);
  grille.addEventListener("submit", function () {
    modifiee = false;
    var actif = document.activeElement;
    var dernier = grille.dataset.dernierChamp;
    try { if (dernier) { sessionStorage.setItem(CLE_FOCUS, dernier); } } catch (e) { /* stockage indisponible */ }
    if (actif && actif.type === "submit") { actif.setAttribute("aria-busy", "true"); }
  });
  grille.addEventListener("focusin", function (ev) {
    if (ev.target.id && ev.target.type !== "submit") { grille.dataset.dernierChamp = ev.target.id; }
  });
  window.addEventListener("beforeunload", function (ev) {
    if (!modifiee) { return undefined; }
    ev.preventDefault();
    ev.returnValue = "";
    return "";
  });

  // Le curseur revient là où il était avant l'enregistrement.
  try {
    var id = sessionStorage.getItem(CLE_FOCUS);
    sessionStorage.removeItem(CLE_FOCUS);
    var cible = id && document.getElementById(id);
    if (cible) { cible.focus({ preventScroll: true }); cible.scrollIntoView({ block: "center" }); }
  } catch (e) { /* stockage indisponible */ }

  // Nombres à la française : static/js/nombres.js, servi avant ce fichier.
  var lire = window.nombresFr.lire;
  var formater = window.nombresFr.formater;

  function verifierLigne(ligne) {
    var sortie = ligne.querySelector("[data-ecart]");
    var valeur = ligne.querySelector("input[name^='v']:not([type=hidden])");
    var commentaire = ligne.querySelector("input[name^='c']:not([type=hidden])");
    var nd = ligne.querySelector("input[type=checkbox][name^='n']");
    if (!sortie || !valeur) { return; }
    var v = lire(valeur.value);
    var facteur = parseFloat(ligne.dataset.ecartMax || "3");
    var message = "";
    if (v !== null && !(nd && nd.checked) && !(commentaire && commentaire.value.trim())) {
      [["la cible", ligne.dataset.cible], ["la valeur de l'an passé", ligne.dataset.precedente]].forEach(function (r) {
        var ref = parseFloat(r[1]);
        if (!message && ref > 0 && (v > ref * facteur || v * facteur < ref)) {
          message = formater(v) + " est très loin de " + r[0] + " (" + formater(ref) + ", plus de " +
            formater(facteur) + " fois d'écart) : un commentaire est nécessaire.";
        }
      });
    }
    sortie.textContent = message;
  }

  function compter() {
    var lignes = grille.querySelectorAll("tr[id^='ligne-i']");
    var renseignees = 0;
    lignes.forEach(function (ligne) {
      var nd = ligne.querySelector("input[type=checkbox][name^='n']");
      var valeur = ligne.querySelector("input[name^='v']:not([type=hidden]), select[name^='a']");
      if ((nd && nd.checked) || (valeur && valeur.value.trim() !== "")) { renseignees += 1; }
      verifierLigne(ligne);
    });
    var recits = grille.querySelectorAll("textarea[name$='_resultats']");
    var rediges = Array.prototype.filter.call(recits, function (t) { return t.value.trim() !== ""; }).length;
    var v = document.querySelector("[data-completude-valeurs]");
    var r = document.querySelector("[data-completude-recits]");
    if (v) { v.textContent = renseignees; }
    if (r) { r.textContent = rediges; }
  }
  grille.addEventListener("input", compter);
  grille.addEventListener("change", compter);
  champsDeLaGrille();
})();
