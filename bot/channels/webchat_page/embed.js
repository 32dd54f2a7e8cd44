/* Embed the chat in a council page with one tag:
 *   <script src="https://ASSISTANT/webchat/embed.js" data-title="Help and advice" async></script>
 * It places the chat page in an iframe where the tag stands. The council's origin must be listed
 * in BOT_WEBCHAT_ALLOWED_ORIGINS. Quick exit inside the frame replaces the whole council page. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    return;
  }
  var origin = new URL(script.src).origin;
  var frame = document.createElement("iframe");
  frame.src = origin + "/webchat";
  frame.title = script.getAttribute("data-title") || "Chat";
  frame.referrerPolicy = "no-referrer";
  frame.style.width = "100%";
  frame.style.minHeight = script.getAttribute("data-height") || "36rem";
  frame.style.border = "1px solid #6b6b6b";
  script.parentNode.insertBefore(frame, script);
})();
