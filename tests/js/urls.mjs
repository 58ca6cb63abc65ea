// URLs for the shell suites (tests/suites/hosting.sh).
// usage: node tests/js/urls.mjs files BASE <URLS
//          prints the site file each URL on stdin (one a line) names: BASE
//          stripped (a URL not under it is printed as "NOT UNDER BASE: URL"),
//          percent-decoding undone, a folder URL completed with index.html.
//          BASE may be "" for relative URLs.
//        node tests/js/urls.mjs encode TEXT
//          prints TEXT percent-encoded as a URL path (encodeURI).
import fs from "node:fs";

const [command, arg] = process.argv.slice(2);
if (command === "files" && arg !== undefined) {
  for (const u of fs.readFileSync(0, "utf8").split("\n").filter(Boolean)) {
    if (arg && !u.startsWith(arg)) { console.log("NOT UNDER BASE: " + u); continue; }
    const p = decodeURIComponent(u.slice(arg.length));
    console.log(p === "" || p.endsWith("/") ? p + "index.html" : p);
  }
} else if (command === "encode" && arg !== undefined) {
  process.stdout.write(encodeURI(arg));
} else {
  console.error("usage: node tests/js/urls.mjs files BASE <URLS | encode TEXT");
  process.exit(2);
}
