<?php
function mergeIntervals($intervals) {
    usort($intervals, fn($a, $b) => [$a[0], $a[1]] <=> [$b[0], $b[1]]);
    $merged = [];
    foreach ($intervals as [$s, $e]) {
        $n = count($merged);
        if ($n > 0 && $s <= $merged[$n - 1][1]) {
            $merged[$n - 1][1] = max($merged[$n - 1][1], $e);
        } else {
            $merged[] = [$s, $e];
        }
    }
    return $merged;
}
