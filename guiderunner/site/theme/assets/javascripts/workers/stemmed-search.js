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

/** One word as searched: its stem as a prefix of the word, else the word and its stem. */
function stemmed(word, stem) {
  const lower = word.toLowerCase().normalize("NFC");
  const token = stem(new self.lunr.Token(lower, {}));
  const root = token ? String(token) : "";
  if (!root || root === lower) return word;
  if (lower.startsWith(root)) return root;
  if (root.length <= lower.length && unaccented(lower).startsWith(unaccented(root)))
    return lower.slice(0, root.length);
  return `${word} ${root}`;
}

/** The query with each plain word replaced as `stemmed` says. */
function rewrite(query) {
  const stem = stemmer();
  if (!stem || typeof query !== "string" || SYNTAX.test(query)) return query;
  return query
    .split(/\s+/)
    .filter(Boolean)
    .map(part => part.split(separator).filter(Boolean).map(word => stemmed(word, stem)).join(" "))
    .join(" ");
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
