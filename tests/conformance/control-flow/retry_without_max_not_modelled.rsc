# source: O db 7.21.4 (:retry documents delay's default, 1 second, but none for max) [O db]; the emulator refuses an unknown default
:retry { :put "try" } delay=1
# expect-refusal: :retry without max= (or max=0) is not modelled
