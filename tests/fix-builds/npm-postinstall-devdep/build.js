// Runs after `npm ci`: renders the page with a devDependency.
const fs = require("fs");
const ms = require("ms");
fs.writeFileSync("page.txt", `cache for ${ms(3600000, { long: true })}\n`);
