const ms = require("ms");
console.log(`one minute is ${ms(60000)}, two hours are ${ms("2h")} ms`);
