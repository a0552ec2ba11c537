from bisect import insort


def running_median(nums):
    window = []
    medians = []
    for x in nums:
        insort(window, x)
        n = len(window)
        if n % 2:
            medians.append(float(window[n // 2]))
        else:
            medians.append((window[n // 2 - 1] + window[n // 2]) / 2)
    return medians
