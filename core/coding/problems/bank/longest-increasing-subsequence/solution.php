<?php
function longestIncreasingSubsequence($nums) {
    $tails = [];
    foreach ($nums as $x) {
        $lo = 0;
        $hi = count($tails);
        while ($lo < $hi) {
            $mid = ($lo + $hi) >> 1;
            if ($tails[$mid] < $x) $lo = $mid + 1;
            else $hi = $mid;
        }
        $tails[$lo] = $x;
    }
    return count($tails);
}
