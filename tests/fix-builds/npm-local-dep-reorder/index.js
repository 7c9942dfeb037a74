const format = require("format-duration");
const ms = require("ms");
console.log(`${format(125)} = ${ms(125000)}`);
