// Builds dist/: spoor.esm.js (ES module), spoor.min.js (IIFE for a <script> tag, global `spoor`) and
// the TypeScript declarations; then checks the size budget of what a page downloads: the minified
// IIFE, gzipped, at most 6 KB.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET = 6 * 1024;
const common = { entryPoints: ["src/index.ts"], bundle: true, target: "es2019", legalComments: "none" };
await build({ ...common, format: "esm", outfile: "dist/spoor.esm.js", minify: true });
await build({ ...common, format: "iife", globalName: "spoor", outfile: "dist/spoor.min.js", minify: true });
execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });

const size = gzipSync(readFileSync("dist/spoor.min.js"), { level: 9 }).length;
console.log(`dist/spoor.min.js: ${size} bytes min+gzip (budget ${BUDGET})`);
if (size > BUDGET) {
  console.error(`spoor.js is over its size budget by ${size - BUDGET} bytes`);
  process.exit(1);
}
