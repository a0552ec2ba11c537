<?php
function longestUniqueSubstring($text) {
    $last = [];
    $start = 0;
    $best = 0;
    for ($i = 0; $i < strlen($text); $i++) {
        $ch = $text[$i];
        if (isset($last[$ch]) && $last[$ch] >= $start) $start = $last[$ch] + 1;
        $last[$ch] = $i;
        $best = max($best, $i - $start + 1);
    }
    return $best;
}
