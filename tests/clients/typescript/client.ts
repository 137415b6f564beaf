// Calls a live Parley through the client openapi-typescript generates from its schema
// (generated/schema.d.ts, made by tests/test_clients.py) and openapi-fetch, as written here:
// no hand-written type, media type or cast. It prints what it was answered, as one JSON object,
// for the test to compare with the API's own answers; any refusal stops it with the answer.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";

type StatementsOrdering = components["schemas"]["StatementsOrderingEnum"];
type TimelineOrdering = components["schemas"]["TimelineOrderingEnum"];

const baseUrl = process.argv[2];
if (!baseUrl) throw new Error("usage: node dist/client.js BASE_URL");
const client = createClient<paths>({ baseUrl });

function answered<T>(what: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${what}: ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

const latestFirst: StatementsOrdering = "-date";
const territory = answered(
  "statements by topic, latest first",
  await client.GET("/api/v1/statements/", {
    params: { query: { topic: ["territory"], ordering: latestFirst, page_size: 100 } },
  }),
);

// several orderings at once: a comma list, one parameter
const twoOrderings = answered(
  "statements by date then slug",
  await client.GET("/api/v1/statements/", {
    params: { query: { ordering: "-date,slug", page_size: 5 } },
  }),
);

const first = territory.results[0];
if (!first) throw new Error("no statement on territory");
const detail = answered(
  "one statement",
  await client.GET("/api/v1/statements/{slug}/", { params: { path: { slug: first.slug } } }),
);

// the other formats have addresses of their own, answered as text
const csv = answered(
  "statements by topic as CSV",
  await client.GET("/api/v1/statements.{format}", {
    params: { path: { format: "csv" }, query: { topic: ["territory"], ordering: latestFirst } },
    parseAs: "text",
  }),
);
const ndjson = answered(
  "statements by topic as NDJSON",
  await client.GET("/api/v1/statements.{format}", {
    params: { path: { format: "ndjson" }, query: { topic: ["territory"], ordering: latestFirst } },
    parseAs: "text",
  }),
);
const jsonld = answered(
  "one statement as JSON-LD",
  await client.GET("/api/v1/statements/{slug}.{format}", {
    params: { path: { slug: first.slug, format: "jsonld" } },
    parseAs: "text",
  }),
);

const timelineLatest: TimelineOrdering = "-date";
const timeline = answered(
  "the timeline, latest first",
  await client.GET("/api/v1/timeline/", { params: { query: { ordering: timelineLatest } } }),
);
const search = answered(
  "a search",
  await client.GET("/api/v1/search/", { params: { query: { q: "ceasefire", type: ["event"] } } }),
);

// a refusal is typed as the API's error
const refused = await client.GET("/api/v1/statements/", {
  params: { query: { ordering: "-date,nonsense" } },
});

console.log(
  JSON.stringify({
    territory: { count: territory.count, slugs: territory.results.map((s) => s.slug) },
    twoOrderings: twoOrderings.results.map((s) => s.slug),
    detail: { slug: detail.slug, speaker: detail.speaker.slug },
    csv,
    ndjsonSlugs: ndjson
      .trimEnd()
      .split("\n")
      .map((line) => (JSON.parse(line) as { slug: string }).slug),
    jsonldId: (JSON.parse(jsonld) as { "@id": string })["@id"],
    timeline: timeline.results.map((item) => [item.type, item.slug]),
    search: { count: search.count, types: [...new Set(search.results.map((hit) => hit.type))] },
    refused: { status: refused.response.status, errors: refused.error?.errors ?? null },
  }),
);
