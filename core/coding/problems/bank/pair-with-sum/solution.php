<?php
function pairWithSum($nums, $target) {
    $first = [];
    foreach ($nums as $j => $x) {
        $need = $target - $x;
        if (array_key_exists($need, $first)) return [$first[$need], $j];
        if (!array_key_exists($x, $first)) $first[$x] = $j;
    }
    return [];
}
