# shellcheck shell=bash
# tap.sh: the sentence-per-check reporting the lab's test scripts share (sourced, not run).
# The sourcing script sets NAME (for messages); passed and failed count the checks.
passed=0
failed=0

# Usage: ok DESCRIPTION CMD...  -> run CMD, count and print the result as a sentence
ok() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		passed=$((passed + 1))
		echo "ok - $what"
	else
		failed=$((failed + 1))
		echo "not ok - $what"
		[[ -n $out ]] && while IFS= read -r l; do echo "    # $l"; done <<<"$out"
	fi
}

# Usage: finish  -> the summary line and the exit code
finish() {
	echo "$passed passed, $failed failed"
	((failed == 0))
}

# Usage: skip_or_fail REASON  -> skip outside CI, fail under CI=true: a lab suite never passes by skipping
skip_or_fail() {
	if [[ ${CI:-} == true ]]; then
		echo "not ok - the lab can start ($1)"
		failed=$((failed + 1))
		finish
		exit 1
	fi
	echo "$NAME: SKIPPED: $1 (under CI=true this is a failure)"
	exit 0
}
