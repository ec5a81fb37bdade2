// Script counting with ICU uscript, then stopword votes (see language.h).
#include "pipeline/language.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>

#include "pipeline/flat_map.h"

namespace cxmap {

namespace {

enum Lang { en, es, fr, de, it, pt, nl };

// The vote of each folded word, in one table read once per word with the
// hash tokenize() computed: the language of a word that is frequent in one
// of the seven languages and not (or rarely) a word of the others, or -1
// for a word that never votes. Shared words ("de", "la", "en", "a", "que",
// "die" in English text...) are left out on purpose.
const FlatMap<int>& word_votes() {
  static const FlatMap<int> votes = [] {
    FlatMap<int> m;
    // A word claimed by two lists is ambiguous and marked -1.
    auto add = [&](int lang, std::initializer_list<const char*> list) {
      for (const char* w : list) {
        if (int* known = m.find(w)) {
          if (*known != lang) *known = -1;
        } else {
          m[w] = lang;
        }
      }
    };
    add(en,
        {"the",   "and",   "is",      "was",    "to",    "of",     "it",     "my",    "i",     "you",  "that",
         "this",  "with",  "for",     "have",   "not",   "they",   "be",     "are",   "but",   "what", "when",
         "would", "been",  "me",      "your",   "we",    "there",  "at",     "from",  "will",  "can",  "did",
         "just",  "after", "because", "has",    "had",   "please", "thanks", "thank", "still", "yet",  "i'm",
         "it's",  "don't", "can't",   "didn't", "hi",    "hello",  "an",     "on",    "or",    "our",  "were",
         "which", "who",   "why",     "how",    "about", "again",  "could",  "should"});
    add(es, {"el",      "los",     "las",     "y",     "es",    "por",    "con",   "para",  "una",  "pero",
             "mi",      "muy",     "del",     "está",  "fue",   "lo",     "su",    "sin",   "ha",   "hay",
             "gracias", "cuando",  "también", "estoy", "tengo", "pedido", "nadie", "nada",  "hola", "sí",
             "ya",      "más",     "porque",  "esto",  "este",  "esta",   "he",    "han",   "mis",  "usted",
             "quiero",  "todavía", "llamé",   "horas", "días",  "como",   "hace",  "dónde", "qué",  "cómo",
             "cuándo",  "mucho",   "muchas",  "nunca", "todo",  "bien"});
    add(fr,
        {"le",       "les",   "et",      "est",   "je",     "une",  "pour",  "avec",  "pas",      "mais",
         "très",     "été",   "mon",     "ma",    "nous",   "vous", "ce",    "qui",   "dans",     "merci",
         "sur",      "ai",    "au",      "du",    "des",    "suis", "j'ai",  "c'est", "toujours", "commande",
         "personne", "rien",  "bonjour", "aussi", "depuis", "mes",  "votre", "cette", "n'est",    "était",
         "heures",   "jours", "à",       "ça",    "où",     "être", "fait"});
    add(de, {"der",   "die",   "das",   "und",  "ist",    "ich",   "nicht", "mit",   "ein",        "eine",
             "sehr",  "aber",  "zu",    "mein", "meine",  "wurde", "auch",  "auf",   "für",        "sie",
             "wir",   "danke", "bei",   "noch", "habe",   "keine", "kein",  "immer", "bestellung", "seit",
             "den",   "dem",   "hallo", "war",  "wieder", "nach",  "schon", "bitte", "warum",      "stunden",
             "tagen", "ihr",   "ihre",  "sind", "oder",   "wie",   "vom"});
    add(it,
        {"il",     "gli",        "di",    "che",   "è",   "sono",   "con",    "per",    "una",      "ma",
         "molto",  "mio",        "mia",   "della", "nel", "alla",   "grazie", "ancora", "ordine",   "nessuno",
         "niente", "buongiorno", "anche", "ho",    "ha",  "questo", "questa", "perché", "sempre",   "giorni",
         "ore",    "dopo",       "stato", "non",   "del", "lo",     "ciao",   "vostro", "servizio", "più"});
    add(pt, {"o",      "os",      "as",   "não",   "é",      "um",     "uma",      "com",      "para",
             "mas",    "muito",   "meu",  "minha", "foi",    "está",   "obrigado", "obrigada", "ainda",
             "pedido", "ninguém", "nada", "olá",   "também", "tenho",  "estou",    "isso",     "isto",
             "dias",   "horas",   "já",   "você",  "vocês",  "do",     "da",       "dos",      "das",
             "no",     "na",      "ao",   "em",    "mais",   "porque", "sempre",   "quando"});
    add(nl, {"de",         "het",     "een",   "en",     "niet",   "ik",   "dat",     "van",   "met",
             "voor",       "maar",    "mijn",  "zijn",   "nog",    "geen", "bedankt", "dank",  "altijd",
             "bestelling", "niemand", "niets", "hallo",  "ook",    "heb",  "hebben",  "wordt", "werd",
             "al",         "uur",     "dagen", "waarom", "jullie", "u",    "wel",     "erg",   "na",
             "bij",        "om",      "te",    "op",     "er",     "naar"});
    // Words of the lists above that are also common English (or shared by
    // other languages without being in two lists): they never vote.
    for (const char* x :
         {"de",  "en",  "na",  "no",  "do",    "da",   "al",   "u",    "o",    "as",   "e",   "a",   "la",
          "il",  "non", "per", "he",  "ore",   "mi",   "su",   "este", "esta", "como", "dos", "das", "quando",
          "war", "den", "die", "wie", "hallo", "dank", "van",  "met",  "ma",   "à",    "ai",  "te",  "mais",
          "em",  "sin", "mon", "op",  "er",    "om",   "also", "hace", "fait", "ok"})
      if (int* known = m.find(x)) *known = -1;
    return m;
  }();
  return votes;
}

// Letters that point to one language (half a vote each).
int letter_language(UChar32 c) {
  switch (c) {
    case 0xF1:
    case 0xD1:
      return es;  // ñ Ñ
    case 0xDF:
    case 0xE4:
    case 0xC4:
      return de;  // ß ä Ä
    case 0xE3:
    case 0xF5:
    case 0xC3:
    case 0xD5:
      return pt;  // ã õ
    case 0x153:
    case 0xEB:
    case 0xEE:
    case 0xFB:
      return fr;  // œ ë î û
    case 0xF2:
    case 0xEC:
      return it;  // ò ì
    default:
      return -1;
  }
}

}  // namespace

void LanguageEvidence::add(const std::vector<Token>& tokens) {
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::punct && (t.text == "\u00BF" || t.text == "\u00A1")) votes_[es] += 1;  // ¿ ¡
    if (t.kind != TokenKind::word) continue;
    int32_t i = 0;
    const auto n = static_cast<int32_t>(t.text.size());
    const auto* p = reinterpret_cast<const uint8_t*>(t.text.data());
    while (i < n) {
      // ASCII (most letters): a letter is Latin, names no language by
      // itself; anything else is not a letter. The same answers as the ICU
      // calls below, without them.
      if (p[i] < 0x80) {
        const uint8_t b = p[i++];
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) {
          ++letters_;
          ++latin_;
        }
        continue;
      }
      UChar32 c = 0;
      U8_NEXT(p, i, n, c);
      if (c < 0 || !u_isalpha(c)) continue;
      if (int l = letter_language(c); l >= 0) votes_[static_cast<std::size_t>(l)] += 0.5;
      UErrorCode st = U_ZERO_ERROR;
      const UScriptCode sc = uscript_getScript(c, &st);
      if (U_FAILURE(st)) continue;
      int weight = 1;
      Script s = other;
      switch (sc) {
        case USCRIPT_LATIN:
          ++letters_;
          ++latin_;
          continue;
        case USCRIPT_COMMON:
        case USCRIPT_INHERITED:
          continue;
        case USCRIPT_HAN:
          s = zh, weight = 2;
          break;
        case USCRIPT_HIRAGANA:
        case USCRIPT_KATAKANA:
          s = ja, weight = 2;
          break;
        case USCRIPT_HANGUL:
          s = ko, weight = 2;
          break;
        case USCRIPT_CYRILLIC:
          // і ї є ґ (and capitals) are Ukrainian, not Russian.
          s = (c == 0x456 || c == 0x457 || c == 0x454 || c == 0x491 || c == 0x406 || c == 0x407 ||
               c == 0x404 || c == 0x490)
                  ? uk
                  : ru;
          break;
        case USCRIPT_ARABIC:
          s = (c == 0x67E || c == 0x686 || c == 0x698 || c == 0x6AF) ? fa : ar;
          break;
        case USCRIPT_GREEK:
          s = el;
          break;
        case USCRIPT_HEBREW:
          s = he;
          break;
        case USCRIPT_THAI:
          s = th;
          break;
        case USCRIPT_DEVANAGARI:
          s = hi;
          break;
        default:
          break;
      }
      letters_ += weight;
      scripts_[s] += weight;
    }
    if (const int* lang = word_votes().find(t.folded, folded_hash_of(t)); lang && *lang >= 0)
      votes_[static_cast<std::size_t>(*lang)] += 1;
  }
}

std::string LanguageEvidence::decide(std::string_view fallback) const {
  if (letters_ == 0) return std::string(fallback);
  // Non-Latin scripts: the biggest one wins if it outweighs the Latin letters.
  int top = -1, top_n = latin_;
  for (int s = 0; s < n_scripts; ++s)
    if (scripts_[s] > top_n) {
      top = s;
      top_n = scripts_[s];
    }
  if (top >= 0) {
    static const char* codes[] = {"zh", "ja", "ko", "ru", "uk", "ar", "fa", "el", "he", "th", "hi", "und"};
    if (top == zh && scripts_[ja] > 0) return "ja";  // kanji with kana
    if (top == ru && scripts_[uk] > 0) return "uk";
    if (top == ar && scripts_[fa] > 0) return "fa";
    return codes[top];
  }
  // Latin script: stopword vote.
  std::size_t best = 0, second = 0;
  for (std::size_t l = 1; l < votes_.size(); ++l)
    if (votes_[l] > votes_[best]) best = l;
  for (std::size_t l = 0; l < votes_.size(); ++l)
    if (l != best && (second == best || votes_[l] > votes_[second])) second = l;
  if (best == second) second = best == 0 ? 1 : 0;
  const double b = votes_[best];
  if (b < 1) return std::string(fallback);
  if (best == en) return "en";
  if (votes_[en] >= 2 && votes_[en] * 2 >= b) return "en";  // English text quoting a foreign phrase
  if (b < 2 || votes_[second] * 1.5 >= b) return std::string(fallback);
  return std::string(kStopwordLanguages[best]);
}

std::string detect_language(const std::vector<Token>& tokens, std::string_view fallback) {
  LanguageEvidence e;
  e.add(tokens);
  return e.decide(fallback);
}

std::string detect_language(std::string_view text, std::string_view fallback) {
  return detect_language(tokenize(text), fallback);
}

}  // namespace cxmap
