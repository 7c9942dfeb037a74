import ms from "ms";
// @ts-ignore: node's own module, without the @types/node package
import { writeFileSync, readFileSync } from "node:fs";

// The program keeps its state next to itself: the directory must be writable by its user.
writeFileSync("state.txt", ms(90_000));
console.log(`state: ${readFileSync("state.txt", "utf8")}`);
