const ms = require("ms");
const escape = require("escape-html");
console.log(escape(`<b>${ms(90000)}</b>`));
