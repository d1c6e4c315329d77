/* Nombres à la française, côté navigateur : les mêmes règles que commun/formats.py (lire_nombre), qui reste le
   seul juge (le serveur relit tout et explique un refus). Servi avant saisie.js et execution.js. */
(function () {
  "use strict";
  // « 1 250,5 » ; « 1250.5 » ; « 1.250 » est ambigu et n'est pas lu ici ; vide ou illisible : null.
  function lire(texte) {
    var t = (texte || "").replace(/[\s\u00a0\u202f]/g, "");
    if (t === "" || /^\d{1,3}(\.\d{3})+$/.test(t)) { return null; }
    if (t.indexOf(",") < 0 && (t.match(/\./g) || []).length === 1) { t = t.replace(".", ","); }
    if (!/^\d+(,\d+)?$/.test(t)) { return null; }
    return parseFloat(t.replace(",", "."));
  }
  function formater(n) { return n.toLocaleString("fr-FR"); }
  // 12500 → « 12 500 € » ; 12500.5 → « 12 500,50 € » (centimes sur deux chiffres, comme le serveur).
  function euros(n) {
    var entier = Math.round(n * 100) % 100 === 0;
    return n.toLocaleString("fr-FR", { minimumFractionDigits: entier ? 0 : 2, maximumFractionDigits: 2 }) + "\u00a0€";
  }
  window.nombresFr = { lire: lire, formater: formater, euros: euros };
})();
