// Texts that users' data may hold and that every writer of cjsim must carry unchanged:
// indicators at the start, ": " and " #" inside, line breaks of every kind, control
// characters, words YAML reads as other types, leading and trailing blanks, document markers,
// CSV's quotes and commas, Markdown's '|', and non-ASCII text (noncharacters included).
#pragma once

#include <string>
#include <vector>

namespace cjsim {

inline std::vector<std::string> awkward_texts() {
  std::vector<std::string> texts = {
      "-",       "- x",    "?",       "? x",    ":",          ": x",    "x:",     "x: y",   "x:y",
      "x #y",    "#x",     "x#",      "&a",     "*a",         "!a",     "!!str",  "|",      ">",
      "'",       "\"",     "''",      "%x",     "@x",         "`x",     "[x]",    "{x}",    "x,y",
      "true",    "False",  "yes",     "no",     "on",         "null",   "~",      "1",      "-1.5",
      "0x10",    "0o7",    "1e3",     ".inf",   "-.Inf",      ".nan",   " x",     "x ",     "  ",
      "\t",      "x\ty",   "\tx",     "x\t",    "\n",         "x\ny",   "x\n",    "\nx",    "x\r\ny",
      "x\ry",    "\r",     "x\n\ny",  "x\n ",   "---",        "...",    "--- x",  "... x",  "x\n---",
      "x\n...",  "\\",     "x\\n",    "\\u0041", "<<",        "=",      "x\fy",   "x\vy",   "\x7f",
      "\x01",    "\x1b[0m", "caf\xc3\xa9",        "\xef\xbb\xbfx",      "x\xc2\x85y",      "\xc2\x85",
      "x\xe2\x80\xa8y",     "x\xe2\x80\xa9y",     "\xe2\x80\xa8",       "\xf0\x9f\x9b\x92 cart",
      "\xc2\xa0x",          "x\xc2\xa0",          "\xe3\x80\x80x",      "x\xef\xbf\xbey",
      "x\xef\xbf\xbfy",     "\xef\xb7\x90",        "\xf0\x9f\xbf\xbe",   "\xf4\x8f\xbf\xbf",
      "\"x\"",      "a\"\"b",   "a, \"b\"\r\nc", "x|y|",   "| x",
  };
  for (int c = 0; c < 128; ++c) {  // NUL too: data may hold it
    const std::string ch(1, static_cast<char>(c));
    texts.push_back(ch);
    texts.push_back(ch + "x");
    texts.push_back("x" + ch);
    texts.push_back("x" + ch + "y");
    texts.push_back("x " + ch + " y");
  }
  return texts;
}

}  // namespace cjsim
