#!/usr/bin/env node
// Reference compound scores from the npm port of VADER (vader-sentiment).
//
//   node vader_reference.js --stdin            one text per stdin line -> one compound per line
//   node vader_reference.js IN.tsv OUT.tsv     IN: category<TAB>text rows ('#' lines copied);
//                                              OUT: category<TAB>text<TAB>compound
//
// The package is looked up in $CXMAP_NPM_DIR (default: <repo>/build/npm), where
// the CMake configure step installs it; it is never committed.
'use strict';
const fs = require('fs');
const path = require('path');

const npmDir = process.env.CXMAP_NPM_DIR || path.join(__dirname, '..', '..', 'build', 'npm');
const vader = require(path.join(npmDir, 'node_modules', 'vader-sentiment'));
const score = (t) => vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;

const args = process.argv.slice(2);
if (args[0] === '--stdin') {
  const lines = fs.readFileSync(0, 'utf8').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  process.stdout.write(lines.map((l) => String(score(l))).join('\n') + (lines.length ? '\n' : ''));
} else if (args.length === 2) {
  const out = [];
  for (const line of fs.readFileSync(args[0], 'utf8').split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      out.push(line);
      continue;
    }
    const tab = line.indexOf('\t');
    if (tab < 0) throw new Error('expected category<TAB>text: ' + line);
    out.push(line + '\t' + score(line.slice(tab + 1)));
  }
  fs.writeFileSync(args[1], out.join('\n') + '\n');
} else {
  process.stderr.write('usage: vader_reference.js --stdin | IN.tsv OUT.tsv\n');
  process.exit(2);
}
