#!/usr/bin/env bash
# Your own .tl through the mtwire CLI: generate a typed module, then encode and decode with the schema
# read at run time (nothing compiled). Run: npm run examples -- custom-schema
set -euo pipefail
cd "$(dirname "$0")"
# In your project this is `npx mtwire`; here, the CLI of this checkout.
mtwire() { node ../dist/src/cli/bin.js "$@"; }

# A typed TypeScript module (codec, registry, types, descriptor) that imports the runtime from 'mtwire/tl'.
mtwire gen shapes.tl --strict --out .out/shapes
ls .out/shapes .out/shapes/types

# JSON in, hex out, and back: JSON is shaped like the generated objects (long as a decimal string).
polygon='{"_":"shape.polygon","closed":true,"name":"tri","points":[{"_":"point","x":0,"y":0},{"_":"point","x":4,"y":0},{"_":"point","x":0,"y":3}]}'
hex=$(mtwire encode --schema shapes.tl "$polygon")
echo "encoded: $hex"
echo "decoded: $(echo "$hex" | mtwire decode --schema shapes.tl)"
# A method call, and what the CLI says (exit 1) about bytes that are not this schema's.
mtwire encode --schema shapes.tl '{"_":"shape.center","shape":{"_":"shape.polygon","points":[]}}'
if mtwire decode --schema shapes.tl 00000000 2> .out/error.txt; then exit 1; fi
echo "bad input: $(cat .out/error.txt)"
