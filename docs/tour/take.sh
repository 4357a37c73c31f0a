#!/usr/bin/env bash
# Takes the README's pictures of the real window under Xvfb: make tour.
#
# The window's test (TestTour in ui/) walks the whole path on the sample
# data (generate, approve, a credit note, a payment, a void) and leaves its
# database; this script then opens the built rebill on that database once
# per screen, at each size, in its own Xvfb and its own preferences (light
# theme, the screen to open on, the window's size), and photographs the
# screen. Usage: docs/tour/take.sh REBILL_BINARY OUT_DIR [WxH...]
set -euo pipefail

bin=$(realpath "$1")
out=$2
shift 2
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1280x800 1024x700)
screens=(Welcome Import Periods Customers Reports Invoices Reconciliation Receivables Settings)

for tool in Xvfb import xdotool; do
	command -v "$tool" >/dev/null || {
		echo "take.sh: $tool is missing (apt-get install xvfb imagemagick xdotool)" >&2
		exit 1
	}
done

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

# stop ends the window as a logout would, and for good after 10 seconds.
stop() {
	kill "$1" 2>/dev/null || return 0
	for _ in $(seq 20); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.5
	done
	kill -9 "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# The tour's database, as the accountant would have it after the path.
db=$work/rebill.db
(cd "$(dirname "$0")/../.." && REBILL_TOUR_DB=$db go test -count=1 -run '^TestTour$' ./ui/ >"$work/tour.log" 2>&1) || {
	cat "$work/tour.log" >&2
	exit 1
}
empty=$work/empty.db # the first run: the welcome

display=:$((90 + RANDOM % 9))
for size in "${sizes[@]}"; do
	w=${size%x*}
	h=${size#*x}
	dir=$out/$size
	mkdir -p "$dir"
	Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
	xvfb=$!
	pids+=("$xvfb")
	sleep 1
	# The pointer in the bottom corner, off every label that has a tip.
	DISPLAY=$display xdotool mousemove "$((w - 1))" "$((h - 1))"
	n=0
	for screen in "${screens[@]}"; do
		n=$((n + 1))
		cfg=$work/config-$size-$screen
		prefs=$cfg/fyne/app.rebill.desktop
		mkdir -p "$prefs"
		use=$db
		if [ "$screen" = Welcome ]; then use=$empty; fi
		printf '{"theme":"light","window.width":%s,"window.height":%s,"window.screen":"%s","welcome.closed.%s":true}\n' \
			"$w" "$h" "$screen" "$db" >"$prefs/preferences.json"
		XDG_CONFIG_HOME=$cfg DISPLAY=$display LANG=en_US.UTF-8 "$bin" --db "$use" >"$work/app.log" 2>&1 &
		app=$!
		pids+=("$app")
		if ! DISPLAY=$display timeout 30 xdotool search --sync --onlyvisible --name Rebill >/dev/null; then
			cat "$work/app.log" >&2
			echo "take.sh: the window did not open for $screen at $size" >&2
			exit 1
		fi
		sleep 3 # the first frames: fonts, the screen's data
		name=$(printf '%02d-%s.png' "$n" "$(echo "$screen" | tr 'A-Z' 'a-z')")
		DISPLAY=$display import -window root "$dir/$name"
		stop "$app"
	done
	kill "$xvfb"
	wait "$xvfb" 2>/dev/null || true
	echo "take.sh: ${#screens[@]} pictures at $size in $dir"
done
