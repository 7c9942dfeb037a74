import http from "http";
import YAML from "yaml";
import { Item, reorders } from "./stock";

const items = new Map<string, Item>();

function load(text: string): number {
  const doc = YAML.parse(text) as { items?: Item[] } | null;
  let n = 0;
  for (const item of doc?.items ?? []) {
    items.set(item.sku, item);
    n++;
  }
  return n;
}

function selfTest(): void {
  const n = load(
    "items:\n" +
      "  - {sku: bolt-m6, onHand: 40, dailyUse: 10, leadDays: 5}\n" +
      "  - {sku: nut-m6, onHand: 900, dailyUse: 10, leadDays: 5}\n" +
      "  - {sku: washer, onHand: 5, dailyUse: 5, leadDays: 2}\n",
  );
  const r = reorders([...items.values()]);
  if (n !== 3 || r.length !== 2 || r[0].sku !== "washer" || r[1].sku !== "bolt-m6" || r[1].quantity !== 90) {
    throw new Error(`unexpected reorders: ${JSON.stringify(r)}`);
  }
  console.log(YAML.stringify({ selfTest: "ok", reorders: r.length }).trim());
}

function serve(port: number): void {
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/reorders") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(reorders([...items.values()])));
      return;
    }
    if (req.method === "PUT" && req.url === "/stock") {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        try {
          const n = load(body);
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ loaded: n }));
        } catch (e) {
          res.writeHead(400).end(String(e));
        }
      });
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(port, () => console.log(`inventory-api listening on :${port}`));
}

if (process.argv.includes("--self-test")) {
  selfTest();
} else {
  serve(Number(process.env.PORT ?? 8080));
}
