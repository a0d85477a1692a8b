// The canned replies page: everyone searches (as they type); managers and admins add, edit and
// delete (after a confirmation). What the server refuses is shown beside the field it is about.
"use strict";

(() => {
  const { api, el, clear, me } = Console;
  const list = document.getElementById("canned-list");
  const filter = document.getElementById("canned-filter");
  const form = document.getElementById("canned-form"); // managers and admins only
  const canEdit = Boolean(form) && me.role !== "agent";
  let replies = [];
  let editing = null; // the id of the reply in the form, or null for a new one

  function matching() {
    const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    return replies.filter((reply) => {
      const haystack = `${reply.title}\n${reply.text}`.toLowerCase();
      return words.every((word) => haystack.includes(word));
    });
  }

  function render() {
    const shown = matching();
    clear(list);
    for (const reply of shown) {
      const buttons = canEdit
        ? [
            el("button", { text: "Edit", attrs: { type: "button" }, data: { action: "edit" } }),
            el("button", {
              className: "danger",
              text: "Delete",
              attrs: { type: "button" },
              data: { action: "delete" },
            }),
          ]
        : [];
      const item = el(
        "li",
        { className: reply.id === editing ? "editing" : "", data: { id: String(reply.id) } },
        [
          el("div", { className: "head" }, [el("strong", { text: reply.title }), ...buttons]),
          el("p", { className: "text", text: reply.text }),
        ],
      );
      item.querySelector("[data-action=edit]")?.addEventListener("click", () => edit(reply));
      item.querySelector("[data-action=delete]")?.addEventListener("click", () => remove(reply));
      list.append(item);
    }
    document.getElementById("canned-count").textContent = String(replies.length);
    const empty = document.getElementById("canned-empty");
    empty.hidden = shown.length > 0;
    empty.textContent = replies.length ? "No canned reply matches." : "No canned replies yet.";
  }

  async function load() {
    replies = await api("GET", "/canned-replies");
    render();
  }

  // -- the form (managers and admins) ------------------------------------------------------

  const FIELDS = { title: "canned-title", text: "canned-text" };

  function fieldError(field, message) {
    const input = document.getElementById(FIELDS[field]);
    const node = document.getElementById(`${FIELDS[field]}-error`);
    node.textContent = message || "";
    node.hidden = !message;
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function formError(message) {
    const node = document.getElementById("canned-form-error");
    node.textContent = message || "";
    node.hidden = !message;
  }

  function clearErrors() {
    fieldError("title", null);
    fieldError("text", null);
    formError(null);
  }

  function edit(reply) {
    editing = reply ? reply.id : null;
    clearErrors();
    document.getElementById("canned-title").value = reply ? reply.title : "";
    document.getElementById("canned-text").value = reply ? reply.text : "";
    document.getElementById("editor-title").textContent = reply
      ? `Edit “${reply.title}”`
      : "New canned reply";
    document.getElementById("canned-save").textContent = reply ? "Save changes" : "Add reply";
    document.getElementById("canned-cancel").hidden = !reply;
    render();
    if (reply) document.getElementById("canned-title").focus();
  }

  async function remove(reply) {
    if (!confirm(`Delete the canned reply “${reply.title}”? Agents can no longer use it.`)) return;
    try {
      await api("DELETE", `/canned-replies/${reply.id}`);
    } catch (error) {
      alert(error.message);
    }
    if (editing === reply.id) edit(null);
    await load();
  }

  // The API's refusals: 422 names the field (loc: ["body", "title"]), 409 is a title taken.
  function showRefusal(error) {
    if (error.status === 409) return fieldError("title", error.message);
    let placed = false;
    for (const problem of error.detail || []) {
      const field = (problem.loc || []).find((part) => part in FIELDS);
      if (field) {
        fieldError(field, problem.msg);
        placed = true;
      }
    }
    if (!placed) formError(error.message);
  }

  async function save(event) {
    event.preventDefault();
    clearErrors();
    const body = {
      title: document.getElementById("canned-title").value,
      text: document.getElementById("canned-text").value,
    };
    try {
      if (editing === null) await api("POST", "/canned-replies", body);
      else await api("PUT", `/canned-replies/${editing}`, body);
    } catch (error) {
      showRefusal(error);
      return;
    }
    edit(null);
    await load();
  }

  filter.addEventListener("input", render);
  if (form) {
    form.addEventListener("submit", (event) => save(event).catch((e) => formError(e.message)));
    document.getElementById("canned-cancel").addEventListener("click", () => edit(null));
  }
  Console.presence();
  load().catch((error) => {
    const empty = document.getElementById("canned-empty");
    empty.textContent = error.message;
    empty.hidden = false;
  });
})();
