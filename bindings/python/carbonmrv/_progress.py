"""``progress=`` arguments: None/False nothing, True a tqdm bar (Debian python3-tqdm), or a callable
``progress(done, total)`` that cancels by returning False. Shared by batch and policy."""


def callback(progress, total=None, unit: str = "rec", desc: str = "carbonmrv"):
    """(callback for the core or None, bar to close or None)."""
    if progress is None or progress is False:
        return None, None
    if progress is True:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, unit=unit, unit_scale=unit == "rec", desc=desc)

        def update(done, all_):
            if bar.total != all_:
                bar.total = all_
            bar.update(done - bar.n)

        return update, bar
    if callable(progress):
        return progress, None
    raise ValueError(f"progress: {progress!r} is not True, False, None or a callable(done, total)")
