#!/bin/sh
# Regenerates packages/media/prompts/*.wav: 8 kHz mono G.711 μ-law WAVs (half the size of PCM16 and
# exactly what goes on the wire). Needs espeak-ng and sox. Run from anywhere:
#   sh packages/media/scripts/make-prompts.sh
set -eu
OUT="$(cd "$(dirname "$0")/.." && pwd)/prompts"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

say() { # say NAME "text"
  espeak-ng -v en-us -s 150 -w "$TMP/$1.raw.wav" "$2"
  # trim leading/trailing silence, add 80 ms of tail so sequences do not run together
  sox "$TMP/$1.raw.wav" -r 8000 -c 1 -e u-law -b 8 "$OUT/$1.wav" \
    silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse pad 0 0.08 gain -n -3
}

for n in 0 1 2 3 4 5 6 7 8 9; do say "digit-$n" "$n"; done
for n in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 30 40 50 60 70 80 90; do say "n-$n" "$n"; done
say hundred "hundred"
say thousand "thousand"
say dollar "dollar"
say dollars "dollars"
say cent "cent"
say cents "cents"
say minute "minute"
say minutes "minutes"
say and "and"
say enter-pin "Please enter your PIN, followed by the pound key."
say enter-destination "Please enter the destination number, followed by the pound key."
say your-balance-is "Your balance is"
say you-have "You have"
say invalid-pin "Invalid PIN."
say credit-exhausted "Your credit is exhausted."
say please-wait "Please wait while we connect your call."
say goodbye "Goodbye."
say all-agents-busy "All our agents are busy. Please hold."
say your-position-is "Your position in the queue is"
say expected-wait "The expected waiting time is"
say invalid-number "The number you entered is not valid."
say welcome "Welcome."
say you-are-caller-number "You are caller number"
say expected-wait-about "Your expected wait is about"
say agents-busy-call-later "All our agents are busy. Please call again later. Goodbye."
say second "second"
say seconds "seconds"
say hour "hour"
say hours "hours"
say euro "euro"
say euros "euros"
say connecting-call "Connecting your call."
say you-can-talk-for "You can talk for"
say call-ends-in "Your call will end in"
say number-busy "The number you called is busy."
say no-answer "There is no answer."
say call-failed "The call could not be completed."
say please-try-again "Please try again."
# Call flows: the demo main menu and the Callback component's notice.
say main-menu "For sales, press 1. For support, press 2. To be called back, press 3."
say callback-shortly "Thank you. We will call you back in a moment. Goodbye."
# Queued callback (virtual hold): the offer to waiting callers and the number's confirmation.
say virtual-hold-offer "To be called back without losing your place in the queue, press 1."
say virtual-hold-we-will-call "We will call you back at"
say virtual-hold-confirm-or-change "To confirm this number, press 1. To give another number, press 2."
say virtual-hold-enter-number "Please enter the number to call you back at, followed by the pound key."
say virtual-hold-confirmed "Thank you. We will call you back when it is your turn. Goodbye."
say enter-account "Please enter your account number, followed by the pound key."
say not-authorized "This number is not authorized for this service."
say destination-not-allowed "Calls to this destination are not allowed."
# A scheduled callback: "This is" + the company's name prompt + "returning your call".
say this-is "This is"
say company-name "Switchboard"
say returning-your-call "returning your call. Please hold while we connect you."

# Hold music: a gentle arpeggio (C major, A minor, F major, G major), soft sine plus a little
# harmonic, faded per note, 8 seconds, loops seamlessly.
notes=""
i=0
for chord in "C4 E4 G4 E4" "A3 C4 E4 C4" "F3 A3 C4 A3" "G3 B3 D4 B3"; do
  for note in $chord; do
    sox -n -r 8000 -c 1 "$TMP/note$i.wav" synth 0.5 sine "$note" synth 0.5 sine mix "%12" \
      fade q 0.03 0.5 0.2 gain -n -14
    notes="$notes $TMP/note$i.wav"
    i=$((i + 1))
  done
done
# shellcheck disable=SC2086
sox $notes "$TMP/arp.wav"
sox "$TMP/arp.wav" -e u-law -b 8 "$OUT/hold-music.wav"

ls -l "$OUT" | awk '{ s += $5 } END { print NR - 1, "prompts,", s, "bytes" }'

# A second piece, so a queue can have music of its own: the same voicing an octave up, faster
# (0.25 s notes), 4 seconds. Any `hold-music-<name>` here is offered to admins as queue hold music.
notes=""
for chord in "C5 G5 E5 G5" "A4 E5 C5 E5" "F4 C5 A4 C5" "G4 D5 B4 D5"; do
  for note in $chord; do
    sox -n -r 8000 -c 1 "$TMP/note$i.wav" synth 0.25 sine "$note" fade q 0.02 0.25 0.1 gain -n -14
    notes="$notes $TMP/note$i.wav"
    i=$((i + 1))
  done
done
# shellcheck disable=SC2086
sox $notes "$TMP/bright.wav"
sox "$TMP/bright.wav" -e u-law -b 8 "$OUT/hold-music-bright.wav"
