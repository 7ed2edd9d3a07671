"""python3 -m spoor_pipelines conf/pipelines.json: prints the pipeline graph as JSON."""

import json
import sys

from .graph import as_json, load_pipelines

if len(sys.argv) != 2:
    sys.exit("usage: python3 -m spoor_pipelines conf/pipelines.json")
print(json.dumps(as_json(load_pipelines(sys.argv[1])), indent=2))
