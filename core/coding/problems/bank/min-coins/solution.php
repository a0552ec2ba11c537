<?php
function minCoins($coins, $amount) {
    $best = array_fill(0, $amount + 1, $amount + 1);
    $best[0] = 0;
    for ($v = 1; $v <= $amount; $v++) {
        foreach ($coins as $c) {
            if ($c <= $v && $best[$v - $c] + 1 < $best[$v]) $best[$v] = $best[$v - $c] + 1;
        }
    }
    return $best[$amount] <= $amount ? $best[$amount] : -1;
}
