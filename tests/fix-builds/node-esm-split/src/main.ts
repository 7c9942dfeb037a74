import ms from "ms";

// `import.meta` exists only in an ES module: node must read "type": "module" from package.json.
const url: string = import.meta.url;
console.log(`${ms(90_000)} from ${url.endsWith("/build/main.js") ? "build/main.js" : url}`);
