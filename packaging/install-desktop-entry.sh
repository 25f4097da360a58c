#!/bin/sh
# Adds 纪要阅读器 to the application menu of the current user (UOS, Kylin, any freedesktop
# desktop). No administrator rights needed: it writes only under ~/.local/share.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
mkdir -p "$apps" "$icons"
cp "$here/minutes-reader.png" "$icons/minutes-reader.png"
sed -e "s|^Exec=.*|Exec=\"$here/minutes-reader\" %F|" -e "s|^Icon=.*|Icon=$icons/minutes-reader.png|" \
    "$here/minutes-reader.desktop" > "$apps/minutes-reader.desktop"
chmod +x "$apps/minutes-reader.desktop"
echo "已添加到应用菜单：$apps/minutes-reader.desktop"
