/*
 * Search that finds inflected words: a worker that wraps mkdocs-material's search worker.
 *
 * The theme's index holds the words as written (its pipeline keeps only the stop word
 * filter), and the theme appends a wildcard to every typed word so that results come while
 * typing: `publiées` is searched as `publiées*`, which no form on the page (`publie`,
 * `publiée`, `publier`) starts with. This worker replaces each plain word of the query by its
 * stem under the site language's stemmer, taken as a prefix of the word: `publi`, which the
 * theme makes `publi*`, finds every form. A stem is a prefix of its word, or one once accents
 * are set aside (the French stemmer writes `récupér` as `récuper`): the word's own letters are
 * kept then. A word still being typed keeps finding at least what its prefix found, since its
 * stem is a shorter prefix. When no prefix fits, the word and its stem are both searched.
 * Queries with lunr syntax (`"..."`, `+`, `-`, `~`, `^`, `*`, `field:`) are left as typed.
 *
 * The page gives the theme's worker file as `?worker=search.<hash>.min.js` (runner plugin).
 */
"use strict";

const SETUP = 0;
const QUERY = 2;
const SYNTAX = /["*~^:]|(?:^|\s)[+-]/;

let language = "en";
let separator = /[\s-]+/;

/** The stemmer of the site's language, once the theme's worker has loaded it. */
function stemmer() {
  const lunr = self.lunr;
  if (!lunr) return null;
  const support = language === "en" ? lunr : lunr[language];
  return support && typeof support.stemmer === "function" ? support.stemmer : null;
}

/** Text without its accents, letter for letter (é -> e), to compare a word and its stem. */
function unaccented(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
}

/**
 * Irregular forms of the guide's verbs -> their infinitive, by language: the index holds the
 * infinitive beside each form, so « construire » finds « construit » and « écrire » finds
 * « écrit » (the stemmer alone gives `construir` and `construit`, which share no prefix).
 * Forms are written without accents, as the index holds every word.
 */
const FORMS = {
  fr: expand({
    construire: "construi:t,te,ts,tes,s,sez,sons,sent,sait,saient,sant,se",
    reconstruire: "reconstrui:t,te,ts,tes,s,sez,sent,sant",
    produire: "produi:t,te,ts,tes,s,sez,sent,sant",
    traduire: "tradui:t,te,ts,tes,s,sez,sent,sant",
    reduire: "redui:t,te,ts,tes,s,sez,sent,sant",
    introduire: "introdui:t,te,ts,tes,s,sez,sent",
    ecrire: "ecri:t,te,ts,tes,s,vez,vons,vent,vait,vant,ve",
    reecrire: "reecri:t,te,ts,tes,s,vez,vent,vant,ve",
    decrire: "decri:t,te,ts,tes,s,vez,vent,vant",
    lire: "l:it,is,isez,isons,isent,isait,isant,ise,u,ue,us,ues",
    dire: "d:it,ite,its,ites,is,isons,isent,isait,isant,ise",
    faire: "f:ait,aite,aits,aites,ais,aisons,ont,aisait,aisant,asse,era,erait",
    prendre: "pr:end,ends,enez,enons,ennent,enait,enant,enne,is,ise,ises",
    reprendre: "repr:end,ends,enez,ennent,enant,is,ise,ises",
    comprendre: "compr:end,ends,enez,ennent,is,ise,ises",
    mettre: "m:et,ets,ettez,ettons,ettent,ettait,ettant,ette,is,ise,ises",
    remettre: "rem:et,ets,ettez,ettent,is,ise,ises",
    permettre: "perm:et,ets,ettez,ettent,ettant,is,ise,ises",
    voir: "v:ois,oit,oyez,oyons,oient,oyait,oyant,u,ue,us,ues,erra,errez",
    pouvoir: "p:eut,eux,ouvez,euvent,ouvait,u,ourra,ourrait,ourrez,uisse",
    devoir: "d:oit,ois,evez,oivent,evait,evra,evrait,ue,us",
    savoir: "s:ait,ais,avez,avent,ache,u,aura",
    vouloir: "v:eut,eux,oulez,eulent,oulu,oudra,oudrait,euille",
    tenir: "t:ient,iens,enez,iennent,enu,enue,enus",
    contenir: "cont:ient,iennent,enu,enue,enus,enant",
    obtenir: "obt:ient,iens,enez,iennent,enu,enue,enus",
    venir: "v:ient,iens,enez,iennent,enu,enue,enus,iendra",
    devenir: "dev:ient,iennent,enu,enue,enus",
    ouvrir: "ouv:re,res,rez,rent,ert,erte,erts,ertes",
    suivre: "sui:s,t,vez,vent,vi,vie,vis,vies,vant",
    aller: "va,vas,vont,ira,irait,aille",
    recevoir: "re:coit,coivent,cevez,cu,cue,cus",
    eteindre: "etein:t,ts,te,tes,s",
    atteindre: "attein:t,ts,te,s",
  }),
};

/** `{infinitive: "stem:ending,ending"}` (or plain forms) -> `{form: infinitive}`. */
function expand(table) {
  const forms = {};
  for (const [infinitive, spec] of Object.entries(table)) {
    const [stem, endings] = spec.includes(":") ? spec.split(":") : ["", spec];
    for (const ending of endings.split(",")) forms[stem + ending] = infinitive;
  }
  return forms;
}

/** Function words and elided fragments (« l' », « qu' ») that would match every page. */
const ELIDED = new Set(["qu", "jusqu", "lorsqu", "puisqu", "quoiqu"]);

function functionWord(word) {
  const lunr = self.lunr;
  const filter = language === "en" ? lunr && lunr.stopWordFilter : lunr && lunr[language] && lunr[language].stopWordFilter;
  if (word.length < 2 || ELIDED.has(unaccented(word))) return true;
  return typeof filter === "function" && filter(new lunr.Token(word, {})) === undefined;
}

/** The index side: every word without accents, and a verb's irregular form beside its infinitive. */
function folding(token) {
  const word = unaccented(String(token).toLowerCase());
  const infinitive = (FORMS[language] || {})[word];
  const folded = token.update(() => word);
  return infinitive && infinitive !== word ? [folded, folded.clone(() => infinitive)] : folded;
}

function installFolding(lunr) {
  if (!lunr || lunr.runnerFolding) return;
  lunr.runnerFolding = true;
  lunr.Pipeline.registerFunction(folding, "runnerFolding");
  const add = lunr.Builder.prototype.add;
  lunr.Builder.prototype.add = function (doc, attributes) {
    if (!this.runnerFolding) {
      this.runnerFolding = true;
      this.pipeline.add(folding);
      this.searchPipeline.add(folding);
    }
    return add.call(this, doc, attributes);
  };
}

/** One word as searched: its stem as a prefix of the word, else the word and its stem. */
function stemmed(word, stem) {
  const lower = word.toLowerCase().normalize("NFC");
  const infinitive = (FORMS[language] || {})[unaccented(lower)];
  if (infinitive) return stemmedPlain(infinitive, stem);
  return stemmedPlain(lower, stem);
}

/** The stem as a prefix, without accents, as the index holds words. */
function stemmedPlain(lower, stem) {
  return unaccented(stemmedWord(lower, stem));
}

function stemmedWord(lower, stem) {
  const token = stem(new self.lunr.Token(lower, {}));
  const root = token ? String(token) : "";
  if (!root || root === lower) return lower;
  if (lower.startsWith(root)) return root;
  if (root.length <= lower.length && unaccented(lower).startsWith(unaccented(root)))
    return lower.slice(0, root.length);
  return `${lower} ${root}`;
}

/** The query with each plain word replaced as `stemmed` says. */
function rewrite(query) {
  const stem = stemmer();
  if (!stem || typeof query !== "string" || SYNTAX.test(query)) return query;
  const words = query.split(/\s+/).flatMap(part => part.split(separator)).filter(Boolean);
  const content = words.filter(word => !functionWord(word.toLowerCase()));
  return (content.length ? content : words).map(word => stemmed(word, stem)).join(" ");
}

/** A message to the theme's worker, with the query rewritten. */
function forward(message) {
  if (!message || typeof message !== "object") return message;
  if (message.type === SETUP) {
    const config = message.data && message.data.config;
    if (config && Array.isArray(config.lang) && config.lang.length === 1) language = config.lang[0];
    if (config && config.separator) separator = new RegExp(config.separator);
    return message;
  }
  if (message.type === QUERY) return { ...message, data: rewrite(message.data) };
  return message;
}

const listen = self.addEventListener.bind(self);
self.addEventListener = (type, listener, options) =>
  listen(
    type,
    type === "message" ? event => listener({ data: forward(event.data) }) : listener,
    options
  );

const worker = new URL(self.location.href).searchParams.get("worker");
if (!worker || !/^search\.[0-9a-f]+\.min\.js$/.test(worker)) {
  throw new Error("stemmed-search.js: ?worker=search.<hash>.min.js is missing");
}
importScripts(worker);
installFolding(self.lunr);
