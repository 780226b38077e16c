import pytest

from theorylab.core.parallel import backend, current_backend, run_tasks


def _square(x):
    return x * x


def test_results_come_back_in_task_order_serial_and_parallel():
    tasks = [(i,) for i in range(20)]
    assert run_tasks(_square, tasks, n_jobs=1) == run_tasks(_square, tasks, n_jobs=2) == [i * i for i in range(20)]


@pytest.mark.parametrize("kwargs, match", [({"name": "ray"}, "backend"), ({"name": "loky", "address": "tcp://x:1"}, "address")])
def test_backend_refuses_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        with backend(**kwargs):
            pass


def test_n_jobs_zero_is_refused():
    with pytest.raises(ValueError, match="n_jobs"):
        run_tasks(_square, [(1,)], n_jobs=0)


def test_default_backend_is_loky():
    assert current_backend() == "loky"


def test_shm_debris_of_dead_processes_is_removed_and_live_ones_kept(tmp_path):
    import os
    import subprocess
    import sys

    from theorylab.core.parallel import clean_shm_debris

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    live = str(os.getpid())
    (tmp_path / f"sem.loky-{dead}-abc_def").write_bytes(b"x")
    (tmp_path / f"joblib_memmapping_folder_{dead}_1_2").mkdir()
    (tmp_path / f"sem.loky-{live}-keep").write_bytes(b"x")
    (tmp_path / "unrelated").write_bytes(b"x")
    assert clean_shm_debris(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"sem.loky-{live}-keep", "unrelated"])
