#!/usr/bin/env bash
# Screenshots of the pages at desktop and phone width, on the demo city in a scratch
# database.
#   scripts/screenshots.sh [OUT_DIR]      (default var/shots; never committed)
# Starts a dev server on 127.0.0.1:${PORT:-8765}, stops it on exit. Exit status 1 when
# any page had a missing asset, an outside request or a JavaScript error.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-var/shots}
PORT=${PORT:-8765}
PY=.venv/bin/python
export FAZHI_VAR_DIR=${FAZHI_VAR_DIR:-$(mktemp -d /tmp/fazhi-shots.XXXXXX)}
export DJANGO_SETTINGS_MODULE=fazhi.settings.local DEBUG=0
export FAZHI_BASE_URL="http://127.0.0.1:$PORT"
unset DATABASE_URL
mkdir -p "$OUT"

$PY manage.py migrate --noinput >/dev/null
$PY manage.py load_demo --if-empty >/dev/null
# DEBUG=0 so the real 404 page shows; --insecure serves static files anyway.
$PY manage.py runserver "127.0.0.1:$PORT" --noreload --insecure >"$FAZHI_VAR_DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "$FAZHI_BASE_URL/healthz" >/dev/null && break; sleep 0.2; done

status=0
shot() {  # user path name
  for width in 1280 375; do
    $PY scripts/screenshot.py ${1:+--user "$1"} --path "$2" --out "$OUT/$3-$width.png" \
      --width "$width" || status=1
  done
}
shot "" /login/ login
for user in officer expired_officer leader reviewer admin enterprise nanhu_officer; do
  shot "$user" / "home-$user"
done
shot officer /enterprises/ enterprise-list
shot nanhu_officer "/enterprises/?category=hazchem_production" enterprise-list-nanhu
first=$($PY manage.py shell -v 0 -c "from fazhi.subjects.models import Enterprise as E; print(E.objects.order_by('pk').first().pk)")
shot leader "/enterprises/$first/" enterprise-detail-leader
shot officer /enterprises/import/ enterprise-import
# The 处罚裁量计算器, empty and with an answer (GET parameters pre-fill and compute).
shot officer /legal/calculator/ calculator
shot officer "/legal/calculator/?item=WSL2021-097-01&party_type=unit&stage=first&tier=general&fine=50000&measures=order_correct_within_deadline&measures=fine&facts_conclusive=on&first_violation=on&actively_eliminated_harm=on&violation_ended=2026-03-01&discovered=2026-03-02&filed=2026-03-03&noticed=2026-04-01&decided=2026-05-06&party_present_at_announcement=yes&as_of=2026-06-30&credit_severity=general" calculator-answer
# The legal knowledge base: laws, one law, the catalogue, one item, the Excel import.
shot officer /legal/laws/ law-list
shot officer "/legal/items/?q=安全生产法第九十七条" item-list
shot officer /legal/items/WSL2021-097-01/ item-detail
shot admin /legal/catalogue/import/ catalogue-import
# Inspections and hazards: lists, the phone-width draft form, details, assistance, plans.
shot officer /inspection/ inspection-list
shot officer /inspection/new/ inspection-form
pk() { $PY manage.py shell -v 0 -c "from fazhi.inspection import models as m; print($1.order_by('pk').first().pk)"; }
shot officer "/inspection/inspections/$(pk "m.Inspection.objects")/" inspection-detail
shot officer /inspection/hazards/ hazard-list
shot officer "/inspection/hazards/$(pk "m.Hazard.objects.filter(supervision__isnull=False)")/" hazard-detail-supervised
shot officer "/inspection/hazards/$(pk "m.Hazard.objects.filter(status='ordered')")/" hazard-detail-open
shot enterprise /inspection/hazards/ hazard-list-enterprise
shot officer "/inspection/assistance/?year=2024" assistance-visits
shot officer "/inspection/assistance/key/?year=2024" key-assisted
# Penalty cases (the demo has none yet: the empty list).
shot officer /cases/ case-list
shot officer /inspection/plans/ plan-list
shot officer "/inspection/plans/$(pk "m.InspectionPlan.objects")/" plan-detail
# The phone menu, opened.
$PY scripts/screenshot.py --user admin --path / --out "$OUT/menu-admin-375.png" --width 375 \
  --height 500 --click .navbar-toggler || status=1
# The 404 page answers 404, which screenshot.py reports: that one is expected.
$PY scripts/screenshot.py --user officer --path /no-such-page/ --out "$OUT/404-375.png" \
  --width 375 >/dev/null 2>&1 || true
exit $status
