#!/usr/bin/env bash
# The main job end to end: install kg, start the local Neo4j, extract and load a folder of
# articles (default: the bundled sample), print where to look, then run the dashboard.
#   bash scripts/quickstart.sh [--port PORT] [FOLDER ...]   e.g. bash scripts/quickstart.sh --port 8600 ../shared/corpus
# The dashboard's port: --port, else $KG_DASHBOARD_PORT, else 8501.
# Set KG_NO_DASHBOARD=1 to stop after loading (as the tests do).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${KG_DASHBOARD_PORT:-8501}"
folders=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) [ $# -ge 2 ] || { echo "--port needs a number" >&2; exit 2; }; port="$2"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    *) folders+=("$1"); shift ;;
  esac
done
case "$port" in ''|*[!0-9]*) echo "--port: '$port' is not a port number" >&2; exit 2 ;; esac
[ ${#folders[@]} -gt 0 ] || folders=(sample/articles)

command -v java >/dev/null && command -v mvn >/dev/null || {
  echo "installing Java 17 and Maven (needed to fetch and run Neo4j)" >&2
  apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless maven >/dev/null
}
python3 -m pip install -q -e '.[dashboard]'

kg neo4j start
kg schema apply
mkdir -p out
kg extract "${folders[@]}" --format jsonl --workers 0 --rejects out/unreadable.jsonl > out/extracted.jsonl \
  || echo "some files could not be read: see out/unreadable.jsonl" >&2
kg load out/extracted.jsonl

echo
echo "Events in the graph, by type:"
kg query "MATCH (e:Event) RETURN e.type AS type, count(*) AS events ORDER BY events DESC"
echo
echo "Extraction output: out/extracted.jsonl     Neo4j: $(kg neo4j status | head -n 1)"
echo "Ask the graph:     kg query \"MATCH (p:Person)-[:PARTICIPATED_IN]->(e:Event) RETURN p.name, e.type, e.start LIMIT 10\""
if [ -z "${KG_NO_DASHBOARD:-}" ]; then
  echo "Dashboard:         http://localhost:$port (Ctrl-C to stop; the graph stays loaded)"
  exec kg dashboard --port "$port"
fi
