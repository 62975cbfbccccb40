# Seed 000, "Running the functions synchronously": delayedPrint prints its text
# five times, waiting `delay` seconds before each (the loop's body is lost in the
# text: restored as the text describes it).
import time


def delayedPrint(delay, text):
    i = 0
    while i < 5:
        time.sleep(delay)
        print(text)
        i += 1


delayedPrint(2, "First")
delayedPrint(2, "Second")
