<?php
function editDistance($a, $b) {
    $m = strlen($b);
    $prev = range(0, $m);
    for ($i = 1; $i <= strlen($a); $i++) {
        $cur = [$i];
        for ($j = 1; $j <= $m; $j++) {
            $cur[$j] = min($prev[$j] + 1, $cur[$j - 1] + 1, $prev[$j - 1] + ($a[$i - 1] === $b[$j - 1] ? 0 : 1));
        }
        $prev = $cur;
    }
    return $prev[$m];
}
