import http from "http";
import ms from "ms";
import { wordStats } from "./stats";

const started = Date.now();

function selfTest(): void {
  const s = wordStats("the cat and the hat and the bat");
  if (s.words !== 8 || s.unique !== 5 || s.top[0][0] !== "the" || s.top[0][1] !== 3) {
    throw new Error(`unexpected stats: ${JSON.stringify(s)}`);
  }
  if (ms(90_000) !== "2m") throw new Error("ms() is broken");
  console.log("self-test ok");
}

function serve(port: number): void {
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/health") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "ok", uptime: ms(Date.now() - started) }));
      return;
    }
    if (req.method === "POST" && req.url === "/stats") {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(wordStats(body)));
      });
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(port, () => console.log(`word-stats listening on :${port}`));
}

if (process.argv.includes("--self-test")) {
  selfTest();
} else {
  serve(Number(process.env.PORT ?? 3000));
}
