<?php
function runningMedian($nums) {
    $sorted = [];
    $medians = [];
    foreach ($nums as $x) {
        $lo = 0;
        $hi = count($sorted);
        while ($lo < $hi) {
            $mid = ($lo + $hi) >> 1;
            if ($sorted[$mid] < $x) $lo = $mid + 1;
            else $hi = $mid;
        }
        array_splice($sorted, $lo, 0, [$x]);
        $n = count($sorted);
        $medians[] = $n % 2 ? (float)$sorted[$n >> 1] : ($sorted[intdiv($n, 2) - 1] + $sorted[intdiv($n, 2)]) / 2.0;
    }
    return $medians;
}
