// ESLint for the map module and its node tests (npm ci, then tests/test_map_module.py runs it).
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["ntm_geo/maps/static/ntm_map.js", "ntm_geo/maps/static/ntm_loader.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
    rules: { "no-unused-vars": ["error", { args: "none" }], eqeqeq: ["error", "smart"], "no-eval": "error", "no-implied-eval": "error", "no-new-func": "error" },
  },
  {
    files: ["tests/js/**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
];
