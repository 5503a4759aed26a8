import pytest

from jllm_kg.normalize.benchmarks import resolve_benchmark


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("JP Language Model Evaluation Harness", "jp-lm-evaluation-harness"),  # 004 L81
        ("lm-evaluation-harness (jp)", "jp-lm-evaluation-harness"),
        ("jcommonsenseqa", "jcommonsenseqa"),  # 004 L83 task names
        ("marc-ja", "marc-ja"),
        ("jaqket-v2", "jaqket-v2"),
        ("xsum-ja", "xsum-ja"),
        ("Rakuda Benchmark", "rakuda"),
        ("Nejumi LLMリーダーボード", "nejumi-leaderboard"),
        ("ELYZA-tasks-100", "elyza-tasks-100"),
        ("CSJ", "csj"),
        ("ImageNet", "imagenet"),
    ],
)
def test_resolve(name: str, key: str) -> None:
    fact = resolve_benchmark(name)
    assert fact is not None and fact.key == key


def test_tasks_belong_to_suites_and_unknown_is_none() -> None:
    assert resolve_benchmark("JNLI").part_of == "jglue"
    assert resolve_benchmark("JGLUE").developer == "waseda-kawahara-lab"
    assert resolve_benchmark("Some Other Bench") is None
