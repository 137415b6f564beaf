// The review of an ingested article (statements.ingest.admin): keys for the candidates, and the
// candidate in focus shown in the text. The page works without it: every action is a form.
"use strict";

function startReview() {
    const cards = Array.from(document.querySelectorAll(".review-card"));
    const marks = Array.from(document.querySelectorAll("#review-text mark"));
    const counter = document.getElementById("review-selected-count");
    const selectAll = document.getElementById("review-select-all");
    if (!cards.length) {
        return;
    }

    function marksOf(card) {
        const id = card.dataset.candidate;
        return marks.filter((mark) => mark.dataset.candidates.split(" ").includes(id));
    }

    // the candidate in focus and its words in the text, marked and scrolled into view
    function show(card) {
        cards.forEach((other) => other.classList.toggle("current", other === card));
        const own = marksOf(card);
        marks.forEach((mark) => mark.classList.toggle("current", own.includes(mark)));
        if (own.length) {
            const pane = own[0].closest(".review-text");
            const top = own[0].offsetTop - pane.offsetTop;
            if (top < pane.scrollTop || top > pane.scrollTop + pane.clientHeight - 40) {
                pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
            }
        }
    }

    function focusCard(card) {
        card.focus({ preventScroll: true });
        card.scrollIntoView({ block: "nearest" });
        show(card);
    }

    function countSelected() {
        const selected = document.querySelectorAll("input[name=selected]:checked").length;
        counter.textContent = selected ? `${selected} selected` : "";
    }

    cards.forEach((card) => card.addEventListener("focusin", () => show(card)));
    marks.forEach((mark) =>
        mark.addEventListener("click", () => {
            const first = document.getElementById(`candidate-${mark.dataset.candidates.split(" ")[0]}`);
            if (first) {
                focusCard(first);
            }
        }),
    );
    document.addEventListener("change", (event) => {
        if (event.target.name === "selected") {
            countSelected();
        }
    });
    selectAll.hidden = false;
    selectAll.addEventListener("click", () => {
        document.querySelectorAll("input[name=selected]:not(:disabled)").forEach((box) => {
            box.checked = true;
        });
        countSelected();
    });

    document.addEventListener("keydown", (event) => {
        if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest("input, textarea, select")) {
            return; // typing in a field, or a browser's own shortcut
        }
        const card = event.target.closest(".review-card") || document.querySelector(".review-card.current");
        const index = card ? cards.indexOf(card) : -1;
        const step = { j: 1, k: -1 }[event.key];
        if (step) {
            focusCard(cards[Math.min(cards.length - 1, Math.max(0, index + step))]);
        } else if (card && event.key === "a") {
            const accept = card.querySelector("button[name=accept]");
            if (!accept) {
                return;
            }
            accept.click();
        } else if (card && event.key === "e") {
            const edit = card.querySelector("details.review-edit");
            if (!edit) {
                return;
            }
            edit.open = true;
            edit.querySelector("input, textarea, select").focus();
        } else if (card && event.key === "r") {
            const reason = card.querySelector("input[name^=reason-]");
            if (!reason) {
                return;
            }
            reason.focus();
        } else if (card && event.key === "x") {
            const box = card.querySelector("input[name=selected]");
            if (!box || box.disabled) {
                return;
            }
            box.checked = !box.checked;
            countSelected();
        } else {
            return;
        }
        event.preventDefault();
    });

    // on arrival: the candidate the page was sent to (after a review, or with an error), else
    // the first still to review
    const wanted = document.querySelector(".review").dataset.focus || location.hash.slice(1);
    const start = (wanted && document.getElementById(wanted)) || document.querySelector(".review-card.status-pending");
    if (start && start.classList.contains("review-card")) {
        focusCard(start);
    }
}

// the script is loaded in the page's head: start once the document is read
if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startReview);
} else {
    startReview();
}
