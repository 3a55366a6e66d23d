package dev.baton.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    private static final class Item extends GroupCommit.Entry {
        final int n;

        Item(int n) {
            this.n = n;
        }
    }

    @Test
    void heldEntriesGoFirstAtTheNextDrainAndNoCallerLeadsMeanwhile() {
        List<Integer> committed = new ArrayList<>();
        boolean[] down = {true};
        GroupCommit<Item> commits = new GroupCommit<>(1, 2, group -> {
            if (down[0]) {
                return group;
            }
            group.forEach(i -> {
                committed.add(i.n);
                i.complete(null);
            });
            return List.of();
        });
        List<Item> items = List.of(new Item(1), new Item(2), new Item(3), new Item(4));
        items.forEach(commits::offer);
        assertThat(commits.await(items.get(0))).as("held: await returns").isFalse();
        assertThat(commits.size()).isEqualTo(4);
        commits.lead();
        assertThat(commits.await(items.get(3))).isFalse();
        assertThat(commits.drain()).as("still held").isTrue();
        assertThat(committed).isEmpty();
        down[0] = false;
        assertThat(commits.drain()).isFalse();
        assertThat(committed).containsExactly(1, 2, 3, 4);
        assertThat(items).allMatch(GroupCommit.Entry::isDone);
    }

    @Test
    void anEntryTheCommitterForgetsFailsAndAThrowFailsTheRestOfItsGroup() {
        GroupCommit<Item> commits = new GroupCommit<>(1, 3, group -> {
            group.get(0).complete("first");
            if (group.size() > 2) {
                throw new IllegalArgumentException("no");
            }
            return List.of();
        });
        List<Item> items = List.of(new Item(1), new Item(2), new Item(3), new Item(4), new Item(5));
        items.forEach(commits::offer);
        commits.lead();
        assertThat(items.get(0).value()).isEqualTo("first");
        assertThat(items.get(1).failure()).isInstanceOf(IllegalArgumentException.class);
        assertThat(items.get(2).failure()).isInstanceOf(IllegalArgumentException.class);
        assertThat(items.get(3).value()).isEqualTo("first");
        assertThat(items.get(4).failure()).isInstanceOf(IllegalStateException.class).hasMessageContaining("defect");
    }

    @Test
    void aGroupTakesEntriesWhileItWeighsLessThanTheBoundAndABoundedQueueRefusesWhenFull() {
        List<List<Integer>> groups = new ArrayList<>();
        GroupCommit<Item> commits = new GroupCommit<>(new ConcurrentLinkedQueue<>(), 1, 10, i -> i.n, group -> {
            groups.add(group.stream().map(i -> i.n).toList());
            group.forEach(i -> i.complete(null));
            return List.of();
        });
        List.of(4, 5, 3, 12, 1).forEach(n -> commits.offer(new Item(n)));
        commits.lead();
        assertThat(groups).containsExactly(List.of(4, 5, 3), List.of(12), List.of(1));
        GroupCommit<Item> bounded = new GroupCommit<>(new LinkedBlockingQueue<>(1), 1, 1, i -> 1, group -> List.of());
        assertThat(bounded.offer(new Item(1))).isTrue();
        assertThat(bounded.offer(new Item(2))).isFalse();
    }
}
