'use strict';
// The part of a fixed document that a quick fix changed, with 3 lines of context either side:
// the lines between the longest common prefix and the longest common suffix of the original
// and the fixed text. tests/data/clients/*.expected hold such regions; the Neovim client
// computes the same (tests/clients/nvim/fix_region.lua).
const CONTEXT = 3;

// A text's lines without the empty string after a final newline.
const linesOf = (text) => (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');

function fixRegion(originalText, fixedText) {
  const a = linesOf(originalText);
  const b = linesOf(fixedText);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const first = Math.max(0, prefix - CONTEXT);
  const last = Math.min(b.length, b.length - suffix + CONTEXT); // exclusive
  return b.slice(first, last).join('\n') + '\n';
}

module.exports = { fixRegion };
