// Read a GEXF file with graphology-gexf (the reader Gephi Lite uses) and print what it found as JSON:
// node and edge counts, and the attributes of the nodes and edges named on the command line.
// usage: node read-gexf.mjs FILE [NODE_ID ...]
import { readFileSync } from "node:fs";
import Graph from "graphology";
import gexf from "graphology-gexf";

const [file, ...wanted] = process.argv.slice(2);
const graph = gexf.parse(Graph, readFileSync(file, "utf-8"));
const nodes = {};
for (const id of wanted) nodes[id] = graph.hasNode(id) ? graph.getNodeAttributes(id) : null;
const edges = [];
graph.forEachEdge((edge, attributes, source, target) => {
  if (wanted.includes(source) || wanted.includes(target)) edges.push({ source, target, attributes });
});
console.log(JSON.stringify({ type: graph.type, order: graph.order, size: graph.size, nodes, edges }));
