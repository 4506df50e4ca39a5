#!/usr/bin/env bash
# Regenerate every Confab icon artefact from confab.svg.
# Needs: rsvg-convert (librsvg2-bin), convert (imagemagick), png2icns (icnsutils).
#   apt-get install -y librsvg2-bin imagemagick icnsutils
set -euo pipefail
cd "$(dirname "$0")"

SVG=confab.svg
mkdir -p icons

for s in 16 32 48 64 128 256 512; do
  rsvg-convert -w "$s" -h "$s" "$SVG" -o "icons/confab-$s.png"
done
cp icons/confab-256.png confab.png

# Windows: multi-resolution .ico
convert icons/confab-{16,32,48,64,128,256}.png confab.ico

# macOS: .icns (png2icns supports 16,32,48,128,256,512,1024)
if command -v png2icns >/dev/null 2>&1; then
  png2icns confab.icns icons/confab-{16,32,48,128,256,512}.png >/dev/null
else
  echo "warning: png2icns not found (apt-get install icnsutils); confab.icns not updated" >&2
fi

echo "icons rendered from $SVG"
