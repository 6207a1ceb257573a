#!/usr/bin/env bash
# Issue 15's numbers at full scale: the shared-budget scenarios (src/test/java/.../quota/) with
# Klaviyo's own windows (60 s and 1 s), 75/s and 700/min enforced per tier by the simulator, share 0.5,
# the production tick (5 s) and the issue's counts: three instances backfilling 12 lists x 5,000
# members; a long backfill beside five lists synced every minute; the merchant's other tools spending
# 400 a minute; 300 lists every minute on two instances for five intervals. About 20 minutes.
# The suite runs the same tests scaled (windows /20, counts /10) in seconds.
#
#   bench/quota-scenarios.sh            # writes target/quota-scenarios.log; the numbers are its [quota.scenarios] lines
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
nice -n 10 bin/mvn -B -ntp test -Dquota.scale=full -Dtest='SharedBudgetScenariosTest,ManyListsScenarioTest' \
    -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | tee target/quota-scenarios.log | grep -E 'Tests run:|FAIL' || true
echo
grep -h 'quota.scenarios' target/quota-scenarios.log target/quarkus-test.log 2>/dev/null | sed 's/^.*\[quota.scenarios\] ([^)]*) //' | sort -u
