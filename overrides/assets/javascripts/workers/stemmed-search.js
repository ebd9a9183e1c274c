/*
 * Search that finds inflected words: a worker that wraps mkdocs-material's search worker.
 *
 * The theme appends a wildcard to every typed word (`conteneurs` -> `conteneurs*`) so that
 * results come while typing, and lunr does not run a wildcard word through the language's
 * stemmer, while the index holds stems (`conteneur`). This worker stems each plain word of
 * the query with the site language's stemmer before the theme's worker sees it: the stem is
 * a prefix of the word, so `conteneur*` finds every form, and a word still being typed keeps
 * finding what its prefix finds. When a stem is not a prefix of its word, both are searched.
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

/** One word as searched: its stem when that is a prefix of it, else the word and its stem. */
function stemmed(word, stem) {
  const lower = word.toLowerCase();
  const token = stem(new self.lunr.Token(lower, {}));
  const root = token ? String(token) : "";
  if (!root || root === lower) return word;
  return lower.startsWith(root) ? root : `${word} ${root}`;
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
