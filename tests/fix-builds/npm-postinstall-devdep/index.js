const fs = require("fs");
process.stdout.write(fs.readFileSync(__dirname + "/page.txt", "utf8"));
