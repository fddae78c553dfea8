// Builds Sightline's front-end assets into ../build/static (served by Django's
// staticfiles): the compiled stylesheet, GOV.UK Frontend's JavaScript and its
// fonts and images. Runs offline from node_modules.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const govuk = join(here, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(here, "..", "build", "static");

mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

const css = sass.compile(join(here, "src", "sightline.scss"), {
  loadPaths: [join(here, "node_modules")],
  style: "compressed",
  importers: [new sass.NodePackageImporter(here)],
  quietDeps: true,
});
writeFileSync(join(out, "css", "sightline.css"), css.css);

cpSync(join(govuk, "assets"), join(out, "govuk", "assets"), { recursive: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "js", "govuk-frontend.min.js"));
cpSync(join(here, "src", "enable-js.js"), join(out, "js", "enable-js.js"));
cpSync(join(here, "src", "init.mjs"), join(out, "js", "init.mjs"));
cpSync(join(here, "node_modules", "axe-core", "axe.min.js"), join(out, "..", "axe.min.js"));
console.log(`Built front-end assets in ${out}`);
